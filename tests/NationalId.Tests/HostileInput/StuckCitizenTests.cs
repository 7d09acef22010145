using System.Security.Cryptography;
using NationalId.Citizens;
using NationalId.Client.Faces;
using NationalId.History;
using NationalId.Protocol;
using NationalId.Tests.Support;

namespace NationalId.Tests.HostileInput;

/// <summary>
/// No citizen is ever stuck: whatever the history refused or could not take before, suspending, revoking, unlocking
/// and reading still work, and a change that was stored is answered as done. (Before, one event the history could not
/// store, a NUL in a lock reason, made every later change of that citizen answer 503, revocation included.)
/// </summary>
public sealed class StuckCitizenTests : IAsyncLifetime
{
    private readonly ControllableHistory _history = new();
    private StoredStateCluster _stored = null!;

    private FlakyGrainStorage Storage => _stored.Storage;

    // The system clock: the events' UUIDv7 ids must order them as they happened.
    public async Task InitializeAsync() => _stored = await StoredStateCluster.StartAsync(history: _history, systemClock: true);

    public async Task DisposeAsync() => await _stored.DisposeAsync();

    private sealed record Citizen(ICitizenGrain Grain, string Handle, byte[] CredentialId, float[] Face);

    private async Task<Citizen> EnrolledWithPhoneAsync()
    {
        var id = TestIdentities.Next();
        var handle = new CitizenHandles(TestIdentities.NewSecret()).For(id);
        var grain = _stored.Grains.GetGrain<ICitizenGrain>(handle);
        var face = FaceVectors.Person(Random.Shared.Next());
        Assert.True((await grain.Enroll(new CitizenEnrollment(id.Value, "Qian Mei", new FaceSample(face, 0.99), null))).Succeeded);
        using var device = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var bound = await grain.Activate(TestCaptures.Attested(_stored.Silo, PresentationCodec.EncodePoint(device.ExportParameters(false).Q), new FaceSample(FaceVectors.Capture(face, 1), 0.99)));
        Assert.Null(bound.Error);
        return new Citizen(grain, handle, bound.CredentialId!, face);
    }

    private static FaceSample Live(float[] face) => new(FaceVectors.Capture(face, Random.Shared.Next()), 0.99);

    private async Task Can_still_be_suspended_revoked_unlocked_and_read(Citizen c)
    {
        Assert.True((await c.Grain.SetLocked(new IdentityLockChange(false, ActionChannel.Counter, "unlocked at counter", null, Live(c.Face)))).Succeeded);
        Assert.True((await c.Grain.ChangeCredential(new CredentialChange(c.CredentialId, CredentialAction.Suspend, ActionChannel.Hotline, "left in a taxi", null, null))).Succeeded);
        Assert.True((await c.Grain.ChangeCredential(new CredentialChange(c.CredentialId, CredentialAction.Revoke, ActionChannel.Counter, "stolen", null, Live(c.Face)))).Succeeded);
        var page = await c.Grain.ReadHistory(new HistoryQuery(null, "citizen asked at the counter", null, 100));
        Assert.Null(page.Error);
        Assert.Equal(CredentialStatus.Revoked, (await c.Grain.GetSummary()).Credentials.Single().Status);
        Assert.Empty(Storage.Stored<CitizenState>("citizen", GrainId.Create("citizen", c.Handle))!.Outbox);
    }

    [Fact]
    public async Task An_event_the_history_refuses_for_good_is_parked_and_never_blocks_the_citizen()
    {
        var c = await EnrolledWithPhoneAsync();
        _history.RefuseNote = "poisoned reason";

        // The lock is stored, so it is answered as done, although its event can never reach the history.
        Assert.True((await c.Grain.SetLocked(new IdentityLockChange(true, ActionChannel.Hotline, "poisoned reason", null, null))).Succeeded);
        Assert.True((await c.Grain.GetSummary()).Locked);

        await Can_still_be_suspended_revoked_unlocked_and_read(c);
        var kinds = _history.Records.Where(r => r.CitizenHandle == c.Handle).Select(r => r.Kind).ToList();
        Assert.DoesNotContain(HistoryKind.Locked, kinds); // parked: counted and logged, not retried
        Assert.Contains(HistoryKind.Unlocked, kinds);
        Assert.Contains(HistoryKind.Suspended, kinds);
        Assert.Contains(HistoryKind.Revoked, kinds);
        Assert.Contains(HistoryKind.OperatorRead, kinds);
    }

    [Fact]
    public async Task While_the_history_is_away_stored_changes_are_answered_done_and_their_events_follow_when_it_is_back()
    {
        var c = await EnrolledWithPhoneAsync();
        _history.EventsUnavailable = true;
        Assert.True((await c.Grain.SetLocked(new IdentityLockChange(true, ActionChannel.Hotline, "precaution", null, null))).Succeeded);
        Assert.True((await c.Grain.ChangeCredential(new CredentialChange(c.CredentialId, CredentialAction.Suspend, ActionChannel.Hotline, "lost", null, null))).Succeeded);
        Assert.DoesNotContain(_history.Records, r => r.CitizenHandle == c.Handle && r.Kind == HistoryKind.Locked);
        Assert.Equal(2, Storage.Stored<CitizenState>("citizen", GrainId.Create("citizen", c.Handle))!.Outbox.Count);

        _history.EventsUnavailable = false;
        await Can_still_be_suspended_revoked_unlocked_and_read(c);
        var kinds = _history.Records.Where(r => r.CitizenHandle == c.Handle).OrderBy(r => r.EventId).Select(r => r.Kind).ToList();
        Assert.Equal([HistoryKind.Enrolled, HistoryKind.Bound, HistoryKind.Locked, HistoryKind.Suspended, HistoryKind.Unlocked, HistoryKind.Revoked, HistoryKind.OperatorRead],
            kinds.Where(k => k != HistoryKind.Resumed).ToList());
    }

    [Fact]
    public async Task Text_that_bypassed_the_gateway_still_leaves_its_event_in_the_history()
    {
        var c = await EnrolledWithPhoneAsync();
        Assert.True((await c.Grain.SetLocked(new IdentityLockChange(true, ActionChannel.Hotline, "lost\u0000phone", null, null))).Succeeded);
        var locked = Assert.Single(_history.Records, r => r.CitizenHandle == c.Handle && r.Kind == HistoryKind.Locked);
        Assert.DoesNotContain('\0', locked.Note!);
        await Can_still_be_suspended_revoked_unlocked_and_read(c);
    }

    /// <summary>The in-memory history, told to refuse one note for good or to be away for events.</summary>
    private sealed class ControllableHistory : IAccessHistory
    {
        private readonly InMemoryAccessHistory _inner = new();

        public volatile string? RefuseNote;
        public volatile bool EventsUnavailable;

        public IReadOnlyCollection<HistoryRecord> Records => _inner.Records;

        public Task AppendEventsAsync(IReadOnlyList<HistoryRecord> records, CancellationToken cancellationToken = default)
        {
            if (EventsUnavailable)
            {
                throw new HistoryUnavailableException("away (test)");
            }

            if (RefuseNote is { } refused && records.Any(r => r.Note == refused))
            {
                throw new HistoryRejectedException("refused (test)");
            }

            return _inner.AppendEventsAsync(records, cancellationToken);
        }

        public Task<HistoryRecord?> AppendAsync(HistoryRecord record, CancellationToken cancellationToken = default) => _inner.AppendAsync(record, cancellationToken);

        public Task<IReadOnlyList<(byte[] Nonce, Guid VerificationId)>> RecentNoncesAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default) =>
            _inner.RecentNoncesAsync(citizenHandle, since, cancellationToken);

        public Task<HistoryRecord?> FindVerificationAsync(string citizenHandle, Guid verificationId, CancellationToken cancellationToken = default) =>
            _inner.FindVerificationAsync(citizenHandle, verificationId, cancellationToken);

        public Task<IReadOnlyList<string>> RelyingPartiesThatVerifiedAsync(string citizenHandle, DateTimeOffset since, CancellationToken cancellationToken = default) =>
            _inner.RelyingPartiesThatVerifiedAsync(citizenHandle, since, cancellationToken);

        public Task<IReadOnlyList<HistoryRecord>> ReadCitizenAsync(string citizenHandle, Guid? before, int limit, CancellationToken cancellationToken = default) =>
            _inner.ReadCitizenAsync(citizenHandle, before, limit, cancellationToken);

        public Task<IReadOnlyList<HistoryRecord>> ReadCitizenEventsAsync(string citizenHandle, Guid? after, int limit, CancellationToken cancellationToken = default) =>
            _inner.ReadCitizenEventsAsync(citizenHandle, after, limit, cancellationToken);

        public Task<IReadOnlyList<HistoryRecord>> ReadRelyingPartyAsync(string relyingPartyId, Guid? before, int limit, CancellationToken cancellationToken = default) =>
            _inner.ReadRelyingPartyAsync(relyingPartyId, before, limit, cancellationToken);
    }
}
