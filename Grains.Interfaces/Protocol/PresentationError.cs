namespace NationalId.Protocol;

/// <summary>Why a presentation could not be opened. All of them are normal verification rejections.</summary>
public enum PresentationError
{
    None = 0,
    Malformed,
    UnsupportedVersion,
    UnknownKey,
    DecryptionFailed,
}
