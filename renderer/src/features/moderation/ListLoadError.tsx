/** A server list that could not be read (or read again), with « Réessayer ». */
export function ListLoadError({
  error,
  hadList,
  onRetry,
}: {
  error: string;
  /** A list is already shown (from an earlier read): it could not be read again. */
  hadList: boolean;
  onRetry: () => void;
}) {
  return (
    <div className="alert alert--error" role="alert">
      <p>
        {hadList
          ? `La liste n’a pas pu être relue sur le serveur : ${error}`
          : `La liste n’a pas pu être lue : ${error}`}
      </p>
      <button type="button" className="button button--secondary button--small" onClick={onRetry}>
        Réessayer
      </button>
    </div>
  );
}
