export interface LoadOptions {
    clients: number;
    writesPerSecond: number;
    seconds: number;
    /** 2: writes to one instance, streams from another (PostgreSQL only). */
    instances: 1 | 2;
    /** PostgreSQL server (a scratch database is made on it); PGlite without. */
    databaseUrl?: string;
    /** Progress lines. */
    log?: (line: string) => void;
}
export interface LoadReport {
    options: Omit<LoadOptions, 'log'>;
    database: 'pglite' | 'postgres';
    writes: number;
    pushErrors: number;
    streamErrors: number;
    /** Deliveries expected (writes × clients) and received. */
    expected: number;
    received: number;
    latency: {
        p50: number;
        p95: number;
        p99: number;
        max: number;
    };
    /** Server resident memory (MB) every few seconds, per instance. */
    rss: {
        at: number;
        mb: number[];
    }[];
    durationMs: number;
}
export declare function runLoadCampaign(options: LoadOptions): Promise<LoadReport>;
/** The report as Markdown, with the memory over time as an SVG line (one per instance). */
export declare function loadReportMarkdown(r: LoadReport, machine: string): {
    markdown: string;
    svg: string;
};
