using Microsoft.AspNetCore.Authorization;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Feedback.Apis;

/// <summary>
/// Who may do what beyond one role. Police systems (<c>feedback.ingest</c>) record what happened and nothing more: the
/// indicators, comments and complaints are about their own work. Complaint handlers (<c>feedback.manage</c>) may also
/// record and analyse.
/// </summary>
public static class Access
{
    /// <summary>Registering interactions, venues and 102 signals.</summary>
    public static readonly AuthorizationPolicy Record = new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser().RequireRole(Roles.FeedbackIngest, Roles.FeedbackManage).Build();

    /// <summary>Indicators, comments, alerts, interactions and venues as analysts see them.</summary>
    public static readonly AuthorizationPolicy Analyse = new AuthorizationPolicyBuilder()
        .RequireAuthenticatedUser().RequireRole(Roles.FeedbackRead, Roles.FeedbackManage).Build();
}
