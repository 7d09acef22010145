namespace NationalId.History;

/// <summary>The durable access history (append-only, group-committed, partitioned by day).</summary>
public interface IAccessHistory
{
    /// <summary>
    /// Completes once the record is durable; a verification is answered only after this. Null when the record was
    /// written as given; otherwise its presentation nonce had already been consumed (by another activation of the same
    /// citizen) and the line written instead, the "replayed" rejection to answer, is returned.
    /// </summary>
    Task<HistoryRecord?> AppendAsync(HistoryRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes credential and identity events idempotently (a line already present by event id is left alone), so an
    /// outbox may deliver the same event again after a crash. Completes once durable.
    /// </summary>
    Task AppendEventsAsync(IReadOnlyList<HistoryRecord> records, CancellationToken cancellationToken = default);

    /// <summary>
    /// Nonces of this citizen's presentations recorded since <paramref name="since"/>, each with the id of the
    /// verification that consumed it: the replay window.
    /// </summary>
    Task<IReadOnlyList<(byte[] Nonce, Guid VerificationId)>> RecentNoncesAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>One recorded verification of this citizen by its id (a UUIDv7, whose timestamp is its recorded time).</summary>
    Task<HistoryRecord?> FindVerificationAsync(string citizenHandle, Guid verificationId, CancellationToken cancellationToken = default);

    /// <summary>RPs that verified this citizen since <paramref name="since"/>: the audience of the citizen's events.</summary>
    Task<IReadOnlyList<string>> RelyingPartiesThatVerifiedAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>One citizen's history, newest first, strictly older than <paramref name="before"/> when given.</summary>
    Task<IReadOnlyList<HistoryRecord>> ReadCitizenAsync(string citizenHandle, Guid? before, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// One citizen's credential and identity events (everything but verifications) after <paramref name="after"/>,
    /// oldest first; without a cursor, the most recent ones.
    /// </summary>
    Task<IReadOnlyList<HistoryRecord>> ReadCitizenEventsAsync(string citizenHandle, Guid? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>One RP's verifications, newest first, strictly older than <paramref name="before"/> when given.</summary>
    Task<IReadOnlyList<HistoryRecord>> ReadRelyingPartyAsync(string relyingPartyId, Guid? before, int limit, CancellationToken cancellationToken = default);
}
