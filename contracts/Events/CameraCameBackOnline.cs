namespace PublicSafety.Contracts.Cameras;

/// <summary>
/// A camera that had gone offline (<see cref="CameraWentOffline"/>) reported again (Cameras service). Carries no stream
/// endpoint or credentials.
/// </summary>
/// <param name="CameraId">The camera in the Cameras inventory.</param>
/// <param name="Region">ISO 3166-2:KZ code of the camera's region.</param>
/// <param name="OfflineSince">When the camera was marked offline.</param>
/// <param name="LastSeenAt">The heartbeat that brought it back.</param>
public sealed record CameraCameBackOnline(Guid CameraId, string Region, DateTimeOffset? OfflineSince, DateTimeOffset LastSeenAt) : IntegrationEvent;
