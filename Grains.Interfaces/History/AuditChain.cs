using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace NationalId.History;

/// <summary>One access-history line as the audit chain sees it: every stored field, times in whole microseconds.</summary>
public sealed record AuditLine(
    Guid EventId,
    long RecordedAtMicros,
    string CitizenHandle,
    string Kind,
    byte[]? CredentialId,
    byte[]? PresentationNonce,
    string? RelyingPartyId,
    string? Scope,
    bool? Verified,
    string? Reason,
    short? Assurance,
    string[]? DisclosedAttributes,
    string? RelyingPartyProvince,
    bool? CrossProvince,
    string? Channel,
    string? Note,
    byte[]? SealedRegistration = null);

/// <summary>
/// The hash chain over access-history lines (deploy/sql/012_audit_chain.sql): the writer in the silo and the auditor's
/// verifier (<c>nid audit verify</c>) compute it with this one function.
/// </summary>
public static class AuditChain
{
    public static readonly byte[] Genesis = new byte[32];

    /// <summary>Microseconds since the Unix epoch: PostgreSQL's timestamptz precision.</summary>
    public static long Micros(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    public static byte[] Next(ReadOnlySpan<byte> previous, Guid chainId, long sequence, AuditLine line)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData("NID-AUDIT-v1"u8);
        hash.AppendData(previous);
        Span<byte> buffer = stackalloc byte[16];
        chainId.TryWriteBytes(buffer, bigEndian: true, out _);
        hash.AppendData(buffer);
        Long(hash, sequence);
        chainId = line.EventId;
        chainId.TryWriteBytes(buffer, bigEndian: true, out _);
        hash.AppendData(buffer);
        Long(hash, line.RecordedAtMicros);
        Text(hash, line.CitizenHandle);
        Text(hash, line.Kind);
        Bytes(hash, line.CredentialId);
        Bytes(hash, line.PresentationNonce);
        Text(hash, line.RelyingPartyId);
        Text(hash, line.Scope);
        Bytes(hash, line.Verified is { } v ? [v ? (byte)1 : (byte)0] : null);
        Text(hash, line.Reason);
        Bytes(hash, line.Assurance is { } a ? [(byte)(a >> 8), (byte)a] : null);
        Long(hash, line.DisclosedAttributes?.Length ?? -1);
        foreach (var attribute in line.DisclosedAttributes ?? [])
        {
            Text(hash, attribute);
        }

        Text(hash, line.RelyingPartyProvince);
        Bytes(hash, line.CrossProvince is { } c ? [c ? (byte)1 : (byte)0] : null);
        Text(hash, line.Channel);
        Text(hash, line.Note);
        if (line.SealedRegistration is not null)
        {
            Bytes(hash, line.SealedRegistration); // only when present: lines without one hash as before it existed
        }

        return hash.GetHashAndReset();
    }

    private static void Long(IncrementalHash hash, long value)
    {
        Span<byte> buffer = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(buffer, value);
        hash.AppendData(buffer);
    }

    private static void Text(IncrementalHash hash, string? value) => Bytes(hash, value is null ? null : Encoding.UTF8.GetBytes(value));

    /// <summary>Length-prefixed (-1 for null), so no two different lines hash the same bytes.</summary>
    private static void Bytes(IncrementalHash hash, byte[]? value)
    {
        Long(hash, value?.Length ?? -1);
        if (value is not null)
        {
            hash.AppendData(value);
        }
    }
}
