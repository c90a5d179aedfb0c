using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace CcmPlatform.TestSupport;

/// <summary>
/// A 201's Location is a promise that the created record can be read back: a client follows it with a
/// GET as the same caller and gets the representation the POST returned.
/// </summary>
public static class CreatedLocations
{
    /// <summary>Asserts <paramref name="created"/> is a 201 whose Location answers 200 with the same body; returns the Location.</summary>
    public static async Task<Uri> AssertFollowsAsync(HttpClient caller, HttpResponseMessage created)
    {
        var posted = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"Expected 201, got {(int)created.StatusCode}: {posted}");
        var location = created.Headers.Location ?? throw new Xunit.Sdk.XunitException("A 201 without a Location header.");

        var fetched = await caller.GetAsync(location);
        var body = await fetched.Content.ReadAsStringAsync();
        Assert.True(fetched.StatusCode == HttpStatusCode.OK, $"GET {location} answered {(int)fetched.StatusCode}: {body}");
        using var expected = JsonDocument.Parse(posted);
        using var actual = JsonDocument.Parse(body);
        if (expected.RootElement.TryGetProperty("id", out var id))
        {
            Assert.Equal(id.GetGuid(), actual.RootElement.GetProperty("id").GetGuid());
        }

        Assert.True(JsonElement.DeepEquals(expected.RootElement, actual.RootElement), $"GET {location} answered{Environment.NewLine}{body}{Environment.NewLine}but the POST returned{Environment.NewLine}{posted}");
        return location;
    }

    /// <summary>Asserts a GET of <paramref name="location"/> answers 404 with <paramref name="rule"/>.</summary>
    public static async Task AssertNotFoundAsync(HttpClient caller, Uri location, string rule)
    {
        var response = await caller.GetAsync(location);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"GET {location} answered {(int)response.StatusCode}: {body}");
        Assert.Equal(rule, JsonDocument.Parse(body).RootElement.GetProperty("rule").GetString());
    }
}
