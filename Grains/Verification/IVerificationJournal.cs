namespace NationalId.Verification;

/// <summary>The durable verification history (append-only, group-committed).</summary>
public interface IVerificationJournal
{
    /// <summary>Completes once the record is durable. A verification is answered only after this.</summary>
    Task AppendAsync(VerificationRecord record, CancellationToken cancellationToken = default);

    /// <summary>Nonces of this citizen's presentations recorded since <paramref name="since"/>: the replay window.</summary>
    Task<IReadOnlyList<byte[]>> RecentNoncesAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default);
}
