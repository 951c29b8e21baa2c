using DnsMcs.Controller.Sync;

namespace DnsMcs.Controller.Tests.Sync;

public sealed class DerivedNamesTests
{
    [Theory]
    [InlineData("shop", "cart")]
    [InlineData("a-very-long-namespace-name-that-uses-all-sixty-three-characters", "and-a-service-name-that-is-just-as-long-as-it-can-possibly-be-x")]
    public void Service_AnyName_DeterministicDnsLabel(string ns, string name)
    {
        var derived = DerivedNames.Service(ns, name);

        Assert.Equal(derived, DerivedNames.Service(ns, name));
        Assert.True(derived.Length <= 63);
        Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", derived);
        Assert.StartsWith("derived-", derived, StringComparison.Ordinal);
    }

    [Fact]
    public void Service_NamespaceAndNameSplitDifferently_DifferentNames()
    {
        Assert.NotEqual(DerivedNames.Service("a-b", "c"), DerivedNames.Service("a", "b-c"));
        Assert.NotEqual(DerivedNames.Service("shop", "cart"), DerivedNames.Service("cart", "shop"));
    }

    [Fact]
    public void Slice_PerClusterAndSourceSlice_Distinct()
    {
        var derived = DerivedNames.Service("shop", "cart");
        string[] names = [DerivedNames.Slice(derived, "east", "cart-1"), DerivedNames.Slice(derived, "west", "cart-1"), DerivedNames.Slice(derived, "east", "cart-2")];

        Assert.Equal(3, names.Distinct().Count());
        Assert.All(names, n => Assert.True(n.Length <= 63));
    }
}
