namespace PublicSafety.Contracts.Cameras;

/// <summary>
/// A public surveillance camera stopped reporting (Cameras service). Carries no stream endpoint or credentials:
/// consumers that need the feed ask Cameras, which checks the caller's role.
/// </summary>
/// <param name="CameraId">The camera in the Cameras inventory.</param>
/// <param name="Region">ISO 3166-2:KZ code of the camera's region, so duty units can filter their own.</param>
/// <param name="LastSeenAt">
/// When the camera last reported; null for an active camera that never did (its silence counts from its activation).
/// Published as schema version 2: version 1 always carried a time.
/// </param>
public sealed record CameraWentOffline(Guid CameraId, string Region, DateTimeOffset? LastSeenAt) : IntegrationEvent;
