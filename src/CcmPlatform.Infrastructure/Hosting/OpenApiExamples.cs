using System.Reflection;

namespace CcmPlatform.Infrastructure.Hosting;

/// <summary>
/// A service's OpenAPI examples, kept as data beside its request types: one instance of the request
/// (or response) type per type, serialized with the service's own JSON options so the example is
/// exactly what the service would bind. Each service declares one sealed subclass; AddCcmService
/// finds it in the service assembly, so Program stays as it is.
/// </summary>
public abstract class OpenApiExampleSet
{
    private readonly Dictionary<Type, object> _json = [];
    private readonly Dictionary<string, string> _text = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyDictionary<Type, object> Json => _json;

    /// <summary>Request bodies that are not JSON (a CSV upload), by media type.</summary>
    public IReadOnlyDictionary<string, string> Text => _text;

    protected void Add<T>(T example)
        where T : notnull => _json[typeof(T)] = example;

    protected void AddText(string mediaType, string example) => _text[mediaType] = example;

    internal static OpenApiExampleSet Merge(Assembly serviceAssembly)
    {
        var merged = new MergedExampleSet();
        foreach (var type in serviceAssembly.GetTypes().Where(t => t.IsSubclassOf(typeof(OpenApiExampleSet)) && !t.IsAbstract))
        {
            var set = (OpenApiExampleSet)Activator.CreateInstance(type)!;
            foreach (var (t, example) in set._json)
            {
                merged._json[t] = example;
            }

            foreach (var (mediaType, example) in set._text)
            {
                merged._text[mediaType] = example;
            }
        }

        return merged;
    }

    private sealed class MergedExampleSet : OpenApiExampleSet;
}
