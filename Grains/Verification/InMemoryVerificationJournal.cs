using System.Collections.Concurrent;

namespace NationalId.Verification;

/// <summary>For grain unit tests only: keeps records in process memory.</summary>
public sealed class InMemoryVerificationJournal : IVerificationJournal
{
    private readonly ConcurrentQueue<VerificationRecord> _records = new();

    public IReadOnlyCollection<VerificationRecord> Records => _records;

    public Task AppendAsync(VerificationRecord record, CancellationToken cancellationToken = default)
    {
        _records.Enqueue(record);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<byte[]>> RecentNoncesAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<byte[]>>(_records
            .Where(r => r.CitizenHandle == citizenHandle && r.RecordedAt >= since && r.PresentationNonce is not null)
            .Select(r => r.PresentationNonce!)
            .ToList());
}
