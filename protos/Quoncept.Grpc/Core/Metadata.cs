using System.Collections;

namespace Quoncept.Grpc;

/// <summary>
/// Call headers or trailers: ASCII entries, and binary entries whose key ends in "-bin"
/// (sent base64-encoded). Keys are lower-cased and validated as gRPC requires.
/// </summary>
public sealed class Metadata : IList<Metadata.Entry>
{
    public const string BinaryHeaderSuffix = "-bin";

    public static readonly Metadata Empty = new Metadata().Freeze();

    private readonly List<Entry> _entries = [];
    private bool _readOnly;

    public int Count => _entries.Count;

    public bool IsReadOnly => _readOnly;

    public Entry this[int index]
    {
        get => _entries[index];
        set
        {
            EnsureWritable();
            _entries[index] = value ?? throw new ArgumentNullException(nameof(value));
        }
    }

    public void Add(string key, string value) => Add(new Entry(key, value));

    public void Add(string key, byte[] valueBytes) => Add(new Entry(key, valueBytes));

    public void Add(Entry item)
    {
        ArgumentNullException.ThrowIfNull(item);
        EnsureWritable();
        _entries.Add(item);
    }

    /// <summary>The last entry with this key, or null.</summary>
    public Entry? Get(string key)
    {
        for (var i = _entries.Count - 1; i >= 0; i--)
        {
            if (string.Equals(_entries[i].Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return _entries[i];
            }
        }

        return null;
    }

    public string? GetValue(string key) => Get(key)?.Value;

    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    public IEnumerable<Entry> GetAll(string key) =>
        _entries.Where(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    public void Clear()
    {
        EnsureWritable();
        _entries.Clear();
    }

    public bool Contains(Entry item) => _entries.Contains(item);

    public void CopyTo(Entry[] array, int arrayIndex) => _entries.CopyTo(array, arrayIndex);

    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _entries.GetEnumerator();

    public int IndexOf(Entry item) => _entries.IndexOf(item);

    public void Insert(int index, Entry item)
    {
        ArgumentNullException.ThrowIfNull(item);
        EnsureWritable();
        _entries.Insert(index, item);
    }

    public bool Remove(Entry item)
    {
        EnsureWritable();
        return _entries.Remove(item);
    }

    public void RemoveAt(int index)
    {
        EnsureWritable();
        _entries.RemoveAt(index);
    }

    internal Metadata Freeze()
    {
        _readOnly = true;
        return this;
    }

    private void EnsureWritable()
    {
        if (_readOnly)
        {
            throw new InvalidOperationException("This metadata is read-only.");
        }
    }

    /// <summary>One metadata entry. Key grammar (PROTOCOL-HTTP2.md): 1*( %x30-39 / %x61-7A / "_" / "-" / ".").</summary>
    public sealed class Entry
    {
        private readonly string? _value;
        private readonly byte[]? _valueBytes;

        public Entry(string key, string value)
        {
            Key = NormalizeKey(key);
            if (IsBinaryKey(Key))
            {
                throw new ArgumentException($"Key '{Key}' ends with '-bin': give its value as bytes.", nameof(key));
            }

            ArgumentNullException.ThrowIfNull(value);
            foreach (var c in value)
            {
                if (c < 0x20 || c > 0x7E)
                {
                    throw new ArgumentException($"Metadata value for '{Key}' must be printable ASCII.", nameof(value));
                }
            }

            _value = value;
        }

        public Entry(string key, byte[] valueBytes)
        {
            Key = NormalizeKey(key);
            if (!IsBinaryKey(Key))
            {
                throw new ArgumentException($"Key '{Key}' carries bytes, so it must end with '-bin'.", nameof(key));
            }

            _valueBytes = valueBytes ?? throw new ArgumentNullException(nameof(valueBytes));
        }

        public string Key { get; }

        public bool IsBinary => _valueBytes is not null;

        public string Value => _value ?? throw new InvalidOperationException($"'{Key}' is a binary entry: read ValueBytes.");

        public byte[] ValueBytes => _valueBytes ?? throw new InvalidOperationException($"'{Key}' is an ASCII entry: read Value.");

        public override string ToString() => IsBinary ? $"{Key}: [{_valueBytes!.Length} bytes]" : $"{Key}: {_value}";

        internal static bool IsBinaryKey(string key) => key.EndsWith(BinaryHeaderSuffix, StringComparison.OrdinalIgnoreCase);

        private static string NormalizeKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            var lower = key.ToLowerInvariant();
            foreach (var c in lower)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
                {
                    throw new ArgumentException($"Metadata key '{key}' has characters other than a-z, 0-9, '_', '-', '.'.", nameof(key));
                }
            }

            return lower;
        }
    }
}
