namespace NationalId.History;

/// <summary>
/// The history refused a record for good (PostgreSQL rejected its data, e.g. a character it cannot store): retrying the
/// same record can never succeed. Unlike <see cref="HistoryUnavailableException"/> this is not a reason to try again.
/// </summary>
[GenerateSerializer, Alias("nid.HistoryRejectedException")]
public sealed class HistoryRejectedException : Exception
{
    public HistoryRejectedException()
    {
    }

    public HistoryRejectedException(string message)
        : base(message)
    {
    }

    public HistoryRejectedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
