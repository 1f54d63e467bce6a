using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.ServiceDefaults.Grpc.Client;

namespace PublicSafety.ServiceDefaults.Grpc.Clients;

/// <summary>
/// The client of <c>publicsafety.cameras.v1.CameraDirectory</c> (what grpc-dotnet would generate as CameraDirectoryClient).
/// Register with <c>builder.AddGrpcClient&lt;CameraDirectoryClient&gt;("cameras")</c>.
/// </summary>
public sealed class CameraDirectoryClient(GrpcClient grpc)
{
    private static readonly GrpcMethod<FindCamerasNearRequest, FindCamerasNearResponse> FindCamerasNear =
        GrpcMethod.Create<FindCamerasNearRequest, FindCamerasNearResponse>(CameraDirectoryReflection.Descriptor, "CameraDirectory", "FindCamerasNear");

    private static readonly GrpcMethod<StreamCamerasInRegionRequest, Camera> StreamCamerasInRegion =
        GrpcMethod.Create<StreamCamerasInRegionRequest, Camera>(CameraDirectoryReflection.Descriptor, "CameraDirectory", "StreamCamerasInRegion");

    private static readonly GrpcMethod<FindCamerasInPolygonRequest, FindCamerasInPolygonResponse> FindCamerasInPolygon =
        GrpcMethod.Create<FindCamerasInPolygonRequest, FindCamerasInPolygonResponse>(CameraDirectoryReflection.Descriptor, "CameraDirectory", "FindCamerasInPolygon");

    public Task<FindCamerasNearResponse> FindCamerasNearAsync(FindCamerasNearRequest request, GrpcCallOptions? options = null) =>
        grpc.UnaryAsync(FindCamerasNear, request, options);

    public IAsyncEnumerable<Camera> StreamCamerasInRegionAsync(StreamCamerasInRegionRequest request, GrpcCallOptions? options = null) =>
        grpc.ServerStreamingAsync(StreamCamerasInRegion, request, options);

    public Task<FindCamerasInPolygonResponse> FindCamerasInPolygonAsync(FindCamerasInPolygonRequest request, GrpcCallOptions? options = null) =>
        grpc.UnaryAsync(FindCamerasInPolygon, request, options);
}
