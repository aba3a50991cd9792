using Quoncept.Sidecar.Api;

namespace Quoncept.Sidecar.Tests.Unit;

/// <summary>Paths cleaned as Go's path.Clean cleans them (daprd's CleanPathMiddleware), cases from Go's own tests.</summary>
public sealed class DaprPathTests
{
    [Theory]
    [InlineData("//v1.0/actors/A/1/method/m", "/v1.0/actors/A/1/method/m")]
    [InlineData("/v1.0/state/store/", "/v1.0/state/store")]
    [InlineData("/v1.0//state///store", "/v1.0/state/store")]
    [InlineData("/", "/")]
    [InlineData("//", "/")]
    [InlineData("", ".")]
    [InlineData("/abc/./def", "/abc/def")]
    [InlineData("/abc/def/..", "/abc")]
    [InlineData("/abc/def/../../..", "/")]
    [InlineData("/../abc", "/abc")]
    [InlineData("abc/../../def", "../def")]
    [InlineData("a/b/c/./../../g", "a/g")]
    [InlineData("..", "..")]
    [InlineData(".", ".")]
    public void Clean_GoPathCleanCases_SameResult(string path, string expected) =>
        Assert.Equal(expected, DaprPath.Clean(path));

    [Theory]
    [InlineData("/v1.0/state/store", false)]
    [InlineData("/dapr.proto.runtime.v1.Dapr/GetState", false)]
    [InlineData("/", false)]
    [InlineData("//v1.0/metadata", true)]
    [InlineData("/v1.0/metadata/", true)]
    [InlineData("/a/./b", true)]
    [InlineData("/a/..", true)]
    public void NeedsCleaning_AgreesWithClean(string path, bool expected)
    {
        Assert.Equal(expected, DaprPath.NeedsCleaning(path));
        Assert.Equal(!expected, DaprPath.Clean(path) == path);
    }

    [Theory]
    [InlineData("//v1.0/actors/A/1/method/m")]
    [InlineData("//v1.0/actors/A/1/state")]
    [InlineData("/v1.0/state/store")]
    [InlineData("//")]
    [InlineData("///v1.0/x")]
    [InlineData("//v1.0/x/")]
    [InlineData("//v1.0/../x")]
    [InlineData("//a//b")]
    [InlineData("//a/.")]
    [InlineData("")]
    [InlineData("v1.0/x")]
    public void CleanRequestPath_AnyPath_SameAsCleanOfRootedPath(string path)
    {
        var cleaned = DaprPath.CleanRequestPath(path);
        Assert.Equal(DaprPath.Clean("/" + path), cleaned);
        // A clean path comes back as the same string: the middleware then leaves the request alone.
        Assert.Equal(!DaprPath.NeedsCleaning(path), ReferenceEquals(path, cleaned));
    }

    [Theory]
    [InlineData("orders", "orders")]
    [InlineData("/orders/", "orders")]
    [InlineData("api//orders", "api/orders")]
    [InlineData("../../etc/passwd", "etc/passwd")]
    public void ForApp_RouteOrMethod_RelativeAndNeverAboveRoot(string path, string expected) =>
        Assert.Equal(expected, DaprPath.ForApp(path));
}
