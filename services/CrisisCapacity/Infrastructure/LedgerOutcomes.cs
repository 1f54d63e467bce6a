using PublicSafety.CrisisCapacity.Model;

namespace PublicSafety.CrisisCapacity.Infrastructure;

/// <summary>
/// What a booking operation did. OutOfRegion: the Idempotency-Key was first used for a record the caller's token does
/// not reach (answered without the record); a facility or record outside the caller's reach is NotFound.
/// </summary>
public abstract record ReserveOutcome
{
    public sealed record Created(Reservation Reservation) : ReserveOutcome;
    public sealed record Repeated(Reservation Reservation) : ReserveOutcome;
    public sealed record KeyReused : ReserveOutcome;
    public sealed record NotFound : ReserveOutcome;
    public sealed record OutOfRegion : ReserveOutcome;
    public sealed record Full(IReadOnlyList<AvailableBedsRow> Alternatives) : ReserveOutcome;
}

public abstract record PlaceOutcome
{
    public sealed record Placed(Placement Placement) : PlaceOutcome;
    public sealed record NotFound : PlaceOutcome;
    public sealed record OutOfRegion : PlaceOutcome;
    public sealed record NotHeld(string Status) : PlaceOutcome;
    public sealed record Repeated(Placement Placement) : PlaceOutcome;
    public sealed record KeyReused : PlaceOutcome;
    public sealed record Full(IReadOnlyList<AvailableBedsRow> Alternatives) : PlaceOutcome;
}
