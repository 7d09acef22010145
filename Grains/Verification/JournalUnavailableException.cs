namespace NationalId.Verification;

/// <summary>The history could not be made durable: the verification is not answered (the gateway says 503).</summary>
[GenerateSerializer, Alias("nid.JournalUnavailableException")]
public sealed class JournalUnavailableException : Exception
{
    public JournalUnavailableException()
    {
    }

    public JournalUnavailableException(string message)
        : base(message)
    {
    }

    public JournalUnavailableException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
