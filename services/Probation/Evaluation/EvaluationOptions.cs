namespace PublicSafety.Probation.Evaluation;

/// <summary><c>Probation:Evaluation</c>: how positions are classified against zones (README, "Zone evaluation").</summary>
public sealed class EvaluationOptions
{
    public const string Section = "Probation:Evaluation";

    /// <summary>Fixes with a reported accuracy worse than this (metres) are stored but never move a zone's state.</summary>
    public double MaxAccuracyMeters { get; set; } = 500;

    /// <summary>Consecutive fixes whose point estimate is on the other side that confirm a crossing no single fix proves.</summary>
    public int ConfirmFixes { get; set; } = 3;

    /// <summary>How far beyond a circle a point estimate must be before it counts toward leaving it.</summary>
    public double HysteresisMeters { get; set; } = 25;

    /// <summary>Positions quoted as evidence in a violation.</summary>
    public int EvidencePositions { get; set; } = 5;
}
