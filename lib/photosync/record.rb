# frozen_string_literal: true

# The Ruby form of the native side's reports and events.
module Photosync
  # A report or an event as the native side hands it over: the Hash of the core's
  # serde form, with a reader for each of its fields. A field the core adds reaches Ruby
  # with no change here or in the binding. `fields` names the readers every record of a
  # class answers, nil when this one has no such field (an event of another kind).
  class Record
    def self.fields(*names)
      names.each { |name| reader(name) }
    end

    def self.reader(name)
      return if method_defined?(name) || private_method_defined?(name)

      define_method(name) { @fields[name] }
    end
    private_class_method :reader

    # Keys may come as Strings: the core writes a report's common part and its
    # destination's figures as one flat map.
    def initialize(**fields)
      @fields = fields.transform_keys(&:to_sym)
      @fields.each_key { |name| self.class.send(:reader, name) }
    end

    def [](name)
      @fields[name.to_sym]
    end

    def members
      @fields.keys
    end

    def to_h
      @fields.dup
    end

    def ==(other)
      other.class == self.class && other.to_h == to_h
    end
    alias eql? ==

    def hash
      [self.class, @fields].hash
    end

    def inspect
      "#<#{self.class.name} #{@fields.map { |k, v| "#{k}=#{v.inspect}" }.join(', ')}>"
    end
    alias to_s inspect
  end

  # An event: kind is a Symbol (:planned, :uploaded, ...), the core's variant name.
  class Event < Record
    fields :kind, :destination, :path

    def initialize(**fields)
      super(**fields.merge(kind: fields[:kind]&.to_sym))
    end
  end

  # A destination's report: counts, errors ([path, message] pairs; a path keeps its bytes,
  # a binary String when the file name is not UTF-8) and the run's scan counts (scan).
  class Report < Record
    fields :destination, :scan

    def ok?
      failed.zero?
    end

    # For JSON: errors as {path:, error:} with paths made UTF-8.
    def to_h
      h = super.merge(errors: errors.map { |path, msg| Photosync.json_path(path).merge(error: msg) })
      @fields.key?(:counts) ? h.merge(Outcomes.json(self)) : h
    end
  end

  # A path for a terminal: UTF-8, any byte that is not replaced.
  def self.utf8(path)
    path.dup.force_encoding(Encoding::UTF_8).scrub
  end

  # A path's JSON fields: { key => the path as text }, and when the name is not UTF-8 (a
  # file from an old Latin-1 disk), also "<key>_b64": its exact bytes in base64 (RFC 4648),
  # which the text (with U+FFFD for each bad byte) cannot give back. See docs/cli.md.
  def self.json_path(path, key = :path)
    text = path.dup.force_encoding(Encoding::UTF_8)
    return { key => text } if text.valid_encoding?

    { key => text.scrub, "#{key}_b64": [path.b].pack("m0") }
  end

  # A list of paths' JSON fields: { key => texts }, and "<key>_b64" with every path's bytes
  # (in the same order) when one of them is not UTF-8.
  def self.json_paths(paths, key)
    fields = paths.map { |p| json_path(p) }
    h = { key => fields.map { |f| f[:path] } }
    return h unless fields.any? { |f| f.key?(:path_b64) }

    h.merge("#{key}_b64": paths.map { |p| [p.b].pack("m0") })
  end
end
