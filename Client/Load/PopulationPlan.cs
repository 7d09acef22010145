using NationalId.IdNumbers;

namespace NationalId.Client.Load;

/// <summary>One planned citizen: a valid, unique ID number, and where they live.</summary>
public sealed record PlannedCitizen(int Index, ResidentIdNumber IdNumber, string ResidenceProvince);

/// <summary>
/// A synthetic national population, the same for the same seed in any process: home provinces drawn by population
/// (2020 census weights in <see cref="Province"/>), a share living outside their home province (the 100 million
/// "floating" people), birth dates spread over 70 years from 1940 (so age checks get both answers, ~1.5 % are under
/// 18), and valid, distinct GB 11643 numbers whose sequence depends on the index and the seed. Nothing here is a
/// real person: the region code is the province's capital district.
/// </summary>
public sealed class PopulationPlan
{
    private readonly Province[] _provinces;
    private readonly double[] _cumulative;
    private readonly int _seed;

    public PopulationPlan(int seed, double livingElsewhereShare = 0.09)
    {
        if (livingElsewhereShare is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(livingElsewhereShare), "A share is between 0 and 1.");
        }

        _seed = seed;
        LivingElsewhereShare = livingElsewhereShare;
        _provinces = [.. Province.All];
        var total = (double)_provinces.Sum(p => p.Population);
        _cumulative = new double[_provinces.Length];
        var running = 0.0;
        for (var i = 0; i < _provinces.Length; i++)
        {
            running += _provinces[i].Population / total;
            _cumulative[i] = running;
        }
    }

    public double LivingElsewhereShare { get; }

    /// <summary>The citizen at <paramref name="index"/>: the same index always gives the same citizen.</summary>
    public PlannedCitizen Citizen(int index)
    {
        var random = new Random(unchecked((_seed * 1_000_003) + index)); // stable across processes, unlike HashCode
        var home = Pick(random.NextDouble());
        var residence = random.NextDouble() < LivingElsewhereShare ? OtherThan(home, random) : home;

        // Distinct numbers: within a span of 25,550 indices each gets its own birth date (7,919 is coprime with the span,
        // so the mapping is a permutation); the span number and the seed pick the sequence, so reruns with another seed
        // make other people.
        const int span = 365 * 70;
        var birth = new DateOnly(1940, 1, 1).AddDays((int)((index % span) * 7_919L % span));
        var sequence = 1 + (int)(((index / span) + (long)_seed) % 999);
        var region = home.Code + "0102";
        return new PlannedCitizen(index, ResidentIdNumber.Create(region, birth, sequence), residence.Code);
    }

    public IEnumerable<PlannedCitizen> Citizens(int count) => Enumerable.Range(0, count).Select(Citizen);

    private Province Pick(double u)
    {
        var i = Array.BinarySearch(_cumulative, u);
        return _provinces[Math.Min(i < 0 ? ~i : i, _provinces.Length - 1)];
    }

    private Province OtherThan(Province home, Random random)
    {
        Province other;
        do
        {
            other = Pick(random.NextDouble());
        }
        while (other.Code == home.Code);
        return other;
    }
}
