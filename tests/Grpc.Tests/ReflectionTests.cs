using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Reflection.V1;
using PublicSafety.Grpc.Tests.Infrastructure;

namespace PublicSafety.Grpc.Tests;

/// <summary>Server reflection on the real Cameras service: what grpcurl and Postman ask an agency's endpoint, without a token.</summary>
public sealed class ReflectionTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    [Fact]
    public async Task AnAnonymousCallerListsTheServicesAndGetsTheContractOfOne()
    {
        using var channel = GrpcChannel.ForAddress(cameras.GrpcUri);
        using var call = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.ResponseStream.MoveNext(CancellationToken.None);
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "publicsafety.cameras.v1.CameraDirectory" });
        await call.ResponseStream.MoveNext(CancellationToken.None);
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(bytes => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(bytes)).ToList();
        await call.RequestStream.CompleteAsync();

        Assert.Contains("publicsafety.cameras.v1.CameraDirectory", services);
        Assert.Contains("grpc.health.v1.Health", services);
        var directory = files.Single(f => f.Name == "cameras/v1/camera_directory.proto").Service.Single();
        Assert.Equal(["FindCamerasNear", "StreamCamerasInRegion", "FindCamerasInPolygon"], directory.Method.Select(m => m.Name));
    }
}
