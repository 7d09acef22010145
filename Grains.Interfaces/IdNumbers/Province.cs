namespace NationalId.IdNumbers;

/// <summary>A provincial-level administrative region: the first two digits of a resident ID number.</summary>
public sealed record Province(string Code, string Name, long Population)
{
    /// <summary>The 34 provincial-level regions (GB/T 2260), population in thousands as of the 2020 census.</summary>
    public static IReadOnlyList<Province> All { get; } =
    [
        new("11", "Beijing", 21_893), new("12", "Tianjin", 13_866), new("13", "Hebei", 74_610),
        new("14", "Shanxi", 34_915), new("15", "Inner Mongolia", 24_049),
        new("21", "Liaoning", 42_591), new("22", "Jilin", 24_073), new("23", "Heilongjiang", 31_850),
        new("31", "Shanghai", 24_870), new("32", "Jiangsu", 84_748), new("33", "Zhejiang", 64_567),
        new("34", "Anhui", 61_027), new("35", "Fujian", 41_540), new("36", "Jiangxi", 45_188),
        new("37", "Shandong", 101_527),
        new("41", "Henan", 99_365), new("42", "Hubei", 57_752), new("43", "Hunan", 66_444),
        new("44", "Guangdong", 126_012), new("45", "Guangxi", 50_127), new("46", "Hainan", 10_081),
        new("50", "Chongqing", 32_054), new("51", "Sichuan", 83_675), new("52", "Guizhou", 38_562),
        new("53", "Yunnan", 47_209), new("54", "Tibet", 3_648),
        new("61", "Shaanxi", 39_528), new("62", "Gansu", 25_019), new("63", "Qinghai", 5_923),
        new("64", "Ningxia", 7_202), new("65", "Xinjiang", 25_852),
        new("71", "Taiwan", 23_561), new("81", "Hong Kong", 7_474), new("82", "Macao", 683),
    ];

    private static readonly Dictionary<string, Province> ByCode = All.ToDictionary(p => p.Code, StringComparer.Ordinal);

    /// <summary>Finds a province by its two-digit code.</summary>
    public static bool TryGet(string code, out Province province)
    {
        if (ByCode.TryGetValue(code, out var found))
        {
            province = found;
            return true;
        }

        province = null!;
        return false;
    }

    public static bool IsKnown(string? code) => code is not null && ByCode.ContainsKey(code);
}
