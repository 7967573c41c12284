/** Types of scripts/audit-electron.mjs (a plain Node script). */
export interface Finding {
  check: string;
  severity: string;
  confidence: string;
  file: string;
  location: string;
  sample: string;
  description: string;
}
export interface Explanation {
  check: string;
  sample: string;
  reason: string;
}
export const EXPLAINED: Explanation[];
export function parseFindings(csv: string): Finding[];
export function judge(
  findings: Finding[],
  explained?: Explanation[],
): { serious: Finding[]; unexplained: Finding[]; stale: Explanation[] };
