# frozen_string_literal: true

module Photosync
  # The outcome fields every destination's sync report has (docs/outcomes.md): counts, a
  # Hash of done, already_there, duplicates, not_taken, refused, refused_before, failed and
  # unreadable; not_taken and refused, [path, reason] pairs (refused lists earlier refusals
  # too, their reason says so).
  module Outcomes
    FIELDS = %i[counts not_taken refused].freeze

    # The fields as JSON wants them: paths as UTF-8 text, pairs as objects.
    def self.json(report)
      pairs = ->(list) { list.to_a.map { |path, why| Photosync.json_path(path).merge(reason: why) } }
      { counts: report.counts, not_taken: pairs[report.not_taken], refused: pairs[report.refused] }
    end
  end
end
