using NationalId.Verification;

namespace NationalId.Tests.Grains;

public class ReplayGuardTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_nonce_loaded_from_history_cannot_be_consumed_again_and_names_its_verification()
    {
        var nonce = Guid.NewGuid().ToByteArray();
        var first = Guid.CreateVersion7(Now);
        var guard = new ReplayGuard(TimeSpan.FromMinutes(2));
        guard.Load([(nonce, first)], Now);

        Assert.False(guard.TryConsume(nonce, Now, Guid.CreateVersion7(Now), out var consumedBy));
        Assert.Equal(first, consumedBy);
        Assert.True(guard.TryConsume(Guid.NewGuid().ToByteArray(), Now, Guid.CreateVersion7(Now), out _));
    }

    [Fact]
    public void A_released_nonce_can_be_used_again()
    {
        var nonce = Guid.NewGuid().ToByteArray();
        var guard = new ReplayGuard(TimeSpan.FromMinutes(2));
        Assert.True(guard.TryConsume(nonce, Now, Guid.CreateVersion7(Now), out _));
        guard.Release(nonce);
        Assert.True(guard.TryConsume(nonce, Now, Guid.CreateVersion7(Now), out _));
    }

    [Fact]
    public void Expired_entries_are_pruned()
    {
        var guard = new ReplayGuard(TimeSpan.FromMinutes(2));
        for (var i = 0; i < 20; i++)
        {
            guard.TryConsume(Guid.NewGuid().ToByteArray(), Now, Guid.CreateVersion7(Now), out _);
        }

        guard.TryConsume(Guid.NewGuid().ToByteArray(), Now + TimeSpan.FromMinutes(3), Guid.CreateVersion7(Now), out _);
        Assert.Equal(1, guard.Count);
    }
}
