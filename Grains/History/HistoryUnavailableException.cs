namespace NationalId.History;

/// <summary>The history could not be written or read: the request is not answered (the gateway says 503).</summary>
[GenerateSerializer, Alias("nid.HistoryUnavailableException")]
public sealed class HistoryUnavailableException : Exception
{
    public HistoryUnavailableException()
    {
    }

    public HistoryUnavailableException(string message)
        : base(message)
    {
    }

    public HistoryUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
