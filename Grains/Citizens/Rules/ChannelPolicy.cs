using NationalId.Errors;
using NationalId.History;

namespace NationalId.Citizens.Rules;

/// <summary>The citizen-wide actions whose channels the policy decides.</summary>
public enum CitizenAction
{
    Suspend,
    Resume,
    Revoke,
    Lock,
    Unlock,
    RegisterResidence,
    RevokeCard,
    GrantMandate,
    RevokeMandate,
}

/// <summary>May this channel do the action, and must the citizen's live face come with it.</summary>
public readonly record struct ChannelRule(bool Allowed, bool FaceRequired);

/// <summary>
/// Who may do what, one table (docs/reference/api.md and docs/decisions/security.md §2.1 show it): the citizen's phone (device signature),
/// a counter (operator, with the citizen's face) or the hotline (operator, no face: protective actions only). A phone
/// bound remotely is provisional (<see cref="ProvisionalMay"/>) and acts only on itself. Mandates add rules of their
/// own (guardianships, minors, the principal's face counted on a phone: <see cref="MandateRules"/>).
/// </summary>
public static class ChannelPolicy
{
    private static readonly ChannelRule Open = new(true, false);
    private static readonly ChannelRule WithFace = new(true, true);
    private static readonly ChannelRule Closed = new(false, false);

    //                                                    device     counter   hotline
    private static readonly Dictionary<CitizenAction, (ChannelRule Device, ChannelRule Counter, ChannelRule Hotline)> Table = new()
    {
        [CitizenAction.Suspend] = (Open, WithFace, Open),
        [CitizenAction.Resume] = (WithFace, WithFace, Closed),
        [CitizenAction.Revoke] = (Open, WithFace, Closed),
        [CitizenAction.Lock] = (Open, WithFace, Open),
        [CitizenAction.Unlock] = (WithFace, WithFace, Closed),
        [CitizenAction.RegisterResidence] = (Open, WithFace, Closed),
        [CitizenAction.RevokeCard] = (Closed, WithFace, Open),
        [CitizenAction.GrantMandate] = (WithFace, WithFace, Closed),
        [CitizenAction.RevokeMandate] = (Open, WithFace, Closed),
    };

    public static ChannelRule For(CitizenAction action, ActionChannel channel)
    {
        var (device, counter, hotline) = Table[action];
        return channel switch
        {
            ActionChannel.Device => device,
            ActionChannel.Counter => counter,
            ActionChannel.Hotline => hotline,
            _ => Closed, // a channel nobody named: refused
        };
    }

    /// <summary>
    /// The refusal of an action through a channel, or null: a provisional phone acting beyond itself
    /// (<see cref="ProvisionalMay"/>), then a channel the table closes. The face the table asks for is checked after.
    /// </summary>
    public static string? Refusal(CitizenAction action, ActionChannel channel, bool provisionalSigner, bool onItself) =>
        provisionalSigner && !ProvisionalMay(action, onItself) ? ErrorCodes.CredentialProvisional : Refusal(action, channel);

    /// <summary>The refusal for a channel that may not do the action, or null.</summary>
    public static string? Refusal(CitizenAction action, ActionChannel channel) =>
        For(action, channel).Allowed ? null : ErrorCodes.ChannelNotAllowed;

    /// <summary>What a provisional phone may still do: act on its own credential (suspend, resume, revoke itself).</summary>
    public static bool ProvisionalMay(CitizenAction action, bool onItself) =>
        onItself && action is CitizenAction.Suspend or CitizenAction.Resume or CitizenAction.Revoke;

    /// <summary>The status a credential action leads to, and the history kind that records it.</summary>
    public static (CredentialStatus Status, string Kind) Outcome(CredentialAction action) => action switch
    {
        CredentialAction.Suspend => (CredentialStatus.Suspended, HistoryKind.Suspended),
        CredentialAction.Resume => (CredentialStatus.Active, HistoryKind.Resumed),
        _ => (CredentialStatus.Revoked, HistoryKind.Revoked),
    };

    /// <summary>The channel's word in history lines and metrics.</summary>
    public static string Name(ActionChannel channel) => channel switch
    {
        ActionChannel.Device => "device",
        ActionChannel.Counter => "counter",
        _ => "hotline",
    };

    public static CitizenAction Of(CredentialAction action) => action switch
    {
        CredentialAction.Suspend => CitizenAction.Suspend,
        CredentialAction.Resume => CitizenAction.Resume,
        _ => CitizenAction.Revoke,
    };
}
