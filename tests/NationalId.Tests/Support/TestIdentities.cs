using System.Security.Cryptography;
using NationalId.IdNumbers;

namespace NationalId.Tests.Support;

/// <summary>Valid, distinct resident ID numbers for tests (never real people: random sequence numbers).</summary>
public static class TestIdentities
{
    private static int _counter = RandomNumberGenerator.GetInt32(1, 900);

    public static ResidentIdNumber Next(string regionCode = "440106", int birthYear = 1985)
    {
        var n = Interlocked.Increment(ref _counter);
        var birth = new DateOnly(birthYear, 1 + (n % 12), 1 + (n % 28));
        return ResidentIdNumber.Create(regionCode, birth, 1 + (n % 998));
    }

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(32);
}
