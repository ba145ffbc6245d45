# frozen_string_literal: true

require "photosync/record"

module Photosync
  # Taken-dates: which photos have a bogus date and why, and the user's corrections as
  # rules in a YAML file (default ~/.config/photosync/dates.yml; see docs/dates.md).
  # Nothing here edits a photo: corrected dates go to Flickr (apply) and to new uploads (sync).
  module Dates
    # One photo under review. date is the file's own ("YYYY-MM-DD HH:MM:SS", wall clock),
    # source where it came from (:exif, :xmp, :filename, :mtime, ...), confidence :high,
    # :medium or :low; reasons an Array of { code:, message: } (empty when only a rule
    # changes it); fix what a rule makes of it ({ date:, granularity:, by: }) or nil;
    # suggestion a likely date the checks saw ({ date:, from: }) when no rule applies.
    class Finding < Record
      fields :path, :md5, :camera, :date, :source, :confidence, :reasons, :fix, :suggestion

      # The core's names as Symbols.
      def initialize(**fields)
        super(**fields, source: fields[:source]&.to_sym, confidence: fields[:confidence]&.to_sym,
                        reasons: fields[:reasons].map { |r| r.merge(code: r[:code].to_sym) })
      end

      def suspicious?
        !reasons.empty?
      end

      # The reasons in one line, or nil.
      def reason
        reasons.empty? ? nil : reasons.map { |r| r[:message] }.join("; ")
      end

      # The rule's correction, else what to do about it, as one Hash.
      def proposed_fix
        return fix.merge(rule: true) if fix

        if suggestion
          { date: suggestion[:date], rule: false,
            by: "#{suggestion[:from]}; add a rule to use it" }
        else
          { date: nil, rule: false, by: advice }
        end
      end

      def as_json
        Photosync.json_path(path).merge(date: date, source: source.to_s, reason: reason, fix: proposed_fix,
                                        codes: reasons.map { |r| r[:code].to_s }, camera: camera,
                                        confidence: confidence.to_s)
      end

      private

      def advice
        codes = reasons.map { |r| r[:code] }
        if camera && (codes & %i[factory_reset before_camera before_floor future]).any?
          "add a shift rule for camera #{camera}"
        else
          "add a date rule for its folder"
        end
      end
    end

    # What apply did: setDates calls made, copies already right, corrected photos with no
    # known Flickr copy (sync them first), and failures as [path, message].
    class ApplyReport < Record
      fields :set, :unchanged, :not_uploaded, :failed, :findings

      def ok?
        failed.empty?
      end
    end

    def self.default_rules_path
      Photosync._default_rules_path
    end

    # Photos of dir whose date looks wrong or that a rule corrects, as Findings.
    #   rules: a rules file (must exist), :default (the default file, if any) or nil (none)
    #   catalog: as for Photosync.scan. The block gets scan progress.
    def self.review(dir, rules: :default, catalog: :default, &progress)
      run(dir, rules, catalog, nil, progress)[:findings].map { |h| Finding.new(**h) }
    end

    # Reviews dir and sets each rule-corrected date on its Flickr copies (found through the
    # catalog's record of what sync uploaded), with flickr.photos.setDates. A date already
    # set by an earlier apply is not sent again.
    #   to: a Photosync::Flickr; wait: as for Photosync.sync
    def self.apply(dir, to:, rules: :default, catalog: :default, wait: true, &progress)
      raise ArgumentError, "to: must be a Photosync::Flickr" unless to.respond_to?(:native, true)

      out = run(dir, rules, catalog, [to.send(:native), Photosync.run_options(wait)], progress)
      ApplyReport.new(**out[:applied], findings: out[:findings].map { |h| Finding.new(**h) })
    end

    # [path or nil, required] for the native side, as sync takes it too.
    def self.rules_option(rules)
      case rules
      when :default then [default_rules_path, false]
      when nil, false then nil
      else [rules.to_s, true]
      end
    end

    # apply: nil (review only), or [native Flickr client, Photosync.run_options].
    def self.run(dir, rules, catalog, apply, progress)
      catalog_path = catalog == :default ? Photosync.default_catalog_path : catalog&.to_s
      path, required = rules_option(rules)
      Photosync._dates(dir.to_s, catalog_path, path, required ? true : false, apply, progress)
    end
    private_class_method :run
  end
end
