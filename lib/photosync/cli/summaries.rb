# frozen_string_literal: true

module Photosync
  # The words every destination's sync summary ends with (docs/outcomes.md), each file not
  # taken or refused with its reason, and --json's rule: stdout holds only the JSON document,
  # every human line goes to stderr.
  class CLI
    private

    # prefix: "flickr: " and the like, when several destinations' lines are printed.
    def print_outcomes(report, prefix = "")
      c = report.counts || {}
      words = [[:done, "done"], [:already_there, "already there"], [:duplicates, "local duplicates"],
               [:not_taken, "not taken"], [:refused, "refused"], [:refused_before, "refused before"],
               [:failed, "failed"], [:unreadable, "unreadable"]]
      @out.puts("#{prefix}#{words.map { |key, word| "#{c[key].to_i} #{word}" }.join(', ')}")
      report.not_taken.to_a.each { |path, why| @out.puts("  not taken: #{path}: #{why}") }
      report.refused.to_a.each { |path, why| @out.puts("  refused: #{path}: #{why}") }
    end

    # Runs a command with --json in argv so that only the JSON it prints (to json_out)
    # reaches stdout.
    def json_aside(argv)
      return yield unless argv.include?("--json")

      @json_out = @out
      @out = @err
      yield
    ensure
      if @json_out
        @out = @json_out
        @json_out = nil
      end
    end

    def json_out
      @json_out || @out
    end
  end
end
