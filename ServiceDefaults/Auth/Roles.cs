namespace PublicSafety.ServiceDefaults.Auth;

/// <summary>
/// Realm roles of the <c>public-safety</c> Keycloak realm (keycloak/realm-export.json).
/// Every role is also the name of an authorization policy that requires it.
/// </summary>
public static class Roles
{
    public const string FeedbackRead = "feedback.read";
    public const string FeedbackManage = "feedback.manage";

    /// <summary>
    /// A police system (102 dispatch, the registry of applications, the 1402 service): records interactions, venues and
    /// 102 signals. Not <see cref="FeedbackManage"/>: the police must not read or decide complaints about the police.
    /// </summary>
    public const string FeedbackIngest = "feedback.ingest";
    public const string CrisisRead = "crisis.read";
    public const string CrisisPlacement = "crisis.placement";
    public const string CrisisManage = "crisis.manage";

    /// <summary>
    /// With <see cref="CrisisPlacement"/>: find, hold and place in crisis centres of every region, not only the holder's
    /// own (victims are often sheltered away from home). Never for read-only roles; outside the holder's scope it shows no
    /// address and no exact position.
    /// </summary>
    public const string CrisisPlacementCrossRegion = "crisis.placement.crossregion";
    public const string CamerasRead = "cameras.read";
    public const string CamerasManage = "cameras.manage";
    public const string CamerasStream = "cameras.stream";

    /// <summary>A camera vendor's system: reports heartbeats for the cameras registered to that client only.</summary>
    public const string CamerasIngest = "cameras.ingest";
    public const string RoadSafetyRead = "roadsafety.read";
    public const string RoadSafetyManage = "roadsafety.manage";
    public const string RoadSafetyIngest = "roadsafety.ingest";
    public const string ProbationOfficer = "probation.officer";
    public const string ProbationRead = "probation.read";
    public const string ProbationIngest = "probation.ingest";
    public const string PlatformOperator = "platform.operator";

    /// <summary>
    /// National scope: the holder's records are not limited to one region. Scope is explicit (DESIGN §3): a token with
    /// neither this role nor a valid <c>region</c> claim has no scope at all and every role policy refuses it.
    /// </summary>
    public const string PlatformNational = DevelopmentTokens.NationalRole;

    public static readonly IReadOnlyList<string> All =
    [
        FeedbackRead, FeedbackManage, FeedbackIngest,
        CrisisRead, CrisisPlacement, CrisisManage, CrisisPlacementCrossRegion,
        CamerasRead, CamerasManage, CamerasStream, CamerasIngest,
        RoadSafetyRead, RoadSafetyManage, RoadSafetyIngest,
        ProbationOfficer, ProbationRead, ProbationIngest,
        PlatformOperator, PlatformNational,
    ];

    /// <summary>The roles that belong to one service, by the prefix before the dot (<c>crisis</c>, <c>cameras</c>, ...).</summary>
    public static IReadOnlyList<string> OfService(string prefix) =>
        All.Where(r => r.StartsWith(prefix + ".", StringComparison.Ordinal)).ToArray();
}
