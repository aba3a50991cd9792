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
    [InlineData("orders", "orders")]
    [InlineData("/orders/", "orders")]
    [InlineData("api//orders", "api/orders")]
    [InlineData("../../etc/passwd", "etc/passwd")]
    public void ForApp_RouteOrMethod_RelativeAndNeverAboveRoot(string path, string expected) =>
        Assert.Equal(expected, DaprPath.ForApp(path));
}
