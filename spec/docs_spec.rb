# frozen_string_literal: true

require "spec_helper"
require "open3"

# The documentation as a reader follows it: README.md and docs/*.md read the way GitHub shows
# them, and `photosync --help` as the CLI prints it.
module DocPages
  ROOT = File.expand_path("..", __dir__)
  # Pages other branches of issue 12 add (the lock, healing, the outcomes); docs/README.md links
  # them before they land. Once one exists, its links are checked like any other.
  FENCE = /\A\s*```/

  module_function

  def pages
    ["README.md", *Dir.glob("docs/*.md", base: ROOT).sort]
  end

  def read(page)
    File.read(File.join(ROOT, page))
  end

  # [line number, line, inside a fenced code block?] for each line of a page.
  def lines(page)
    fenced = false
    read(page).lines(chomp: true).each_with_index.map do |line, i|
      fence = line.match?(FENCE)
      fenced = !fenced if fence
      [i + 1, line, fenced || fence]
    end
  end

  # [target, line number] of every Markdown link in the prose (not in code) of a page.
  def links(page)
    lines(page).reject { |_, _, code| code }.flat_map do |n, line|
      line.gsub(/`[^`]*`/, "").scan(/\[[^\]]*\]\(([^)\s]+)\)/).map { |(target)| [target, n] }
    end
  end

  # The files a link may name: those in git, and new ones git does not ignore (a page being
  # written); never build output such as target/ or .bench/.
  def files
    @files ||= begin
      out, err, status = Open3.capture3("git", "ls-files", "--cached", "--others", "--exclude-standard", chdir: ROOT)
      raise "git ls-files: #{err}" unless status.success?

      out.lines(chomp: true)
    end
  end

  def in_git?(path)
    files.include?(path) || files.any? { |f| f.start_with?("#{path}/") }
  end

  # The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces to
  # hyphens, "-1", "-2" after a repeated one.
  def anchors(page)
    seen = Hash.new(0)
    lines(page).reject { |_, _, code| code }.filter_map do |_, line|
      heading = line[/\A#+\s+(.*?)\s*#*\z/, 1] or next
      slug = heading.downcase.gsub(/[^\p{Word}\- ]/u, "").tr(" ", "-")
      n = seen[slug]
      seen[slug] += 1
      n.zero? ? slug : "#{slug}-#{n}"
    end
  end

  # Why a relative link from page leads nowhere, or nil when it is fine.
  def broken(page, target)
    path, anchor = target.split("#", 2)
    dest = path.empty? ? page : File.expand_path(path, File.dirname(File.join(ROOT, page))).delete_prefix("#{ROOT}/")
    return "outside the repository" if dest.start_with?("/")
    return "#{dest} is not in git" unless in_git?(dest)
    return nil unless anchor && dest.end_with?(".md")

    anchors(dest).include?(anchor) ? nil : "#{dest} has no heading ##{anchor}"
  end

  # Command name => the fixed second words it is listed with (nil: also listed alone), from
  # the commands section of `photosync --help`.
  def commands(help)
    section = help[/^commands:\n(.*?)\n\n/m, 1] or raise "no commands section in:\n#{help}"
    section.lines.each_with_object(Hash.new { |h, k| h[k] = [] }) do |line, forms|
      synopsis = line[/\A {2}(\S.*?)(?: {2,}|\n|\z)/, 1] or next
      name, second = synopsis.split
      forms[name] << (second&.match?(/\A[a-z]+(:[A-Z]+)?\z/) ? second : nil)
    end
  end

  # [command, second word, line number] of each `photosync COMMAND` in the code of a page.
  def usages(page)
    lines(page).flat_map do |n, line, code|
      spans = code ? [line] : line.scan(/`([^`]*)`/).flatten
      spans.flat_map do |span|
        span.scan(%r{(?:\A|[\s/])photosync ([a-z][a-z-]*)(?: (\S+))?}).map { |name, second| [name, second, n] }
      end
    end
  end

  # Why a usage does not match what --help lists, or nil.
  def unknown(forms, name, second)
    return "#{name} is not a command" unless forms.key?(name)

    literals = forms[name].compact
    matches = literals.any? { |l| l.include?(":") ? second.to_s.start_with?(l[/\A[a-z]+:/]) : second == l }
    return nil if matches || literals.empty?
    return nil if forms[name].include?(nil) && !second.to_s.match?(/\A[a-z]+(:|\z)/)

    "#{[name, second].compact.join(' ')} is not listed (listed: #{literals.map { |l| "#{name} #{l}" }.join(', ')})"
  end
end

RSpec.describe "the documentation" do
  it "links only to files in git, and to headings those pages have" do
    all = DocPages.pages.flat_map { |page| DocPages.links(page).map { |target, n| [page, target, n] } }
    expect(all.map { |_, target, _| target }).to include("docs/README.md", "cli.md", "outcomes.md")

    relative = all.reject { |_, target, _| target.match?(/\A[a-z][a-z0-9+.-]*:/i) }
    broken = relative.filter_map do |page, target, n|
      why = DocPages.broken(page, target)
      "#{page}:#{n}: #{target}: #{why}" if why
    end
    expect(broken).to eq([])
  end

  it "finds a broken link, a missing heading and a link out of the repository" do
    expect(DocPages.broken("docs/README.md", "nowhere.md")).to eq("docs/nowhere.md is not in git")
    expect(DocPages.broken("README.md", "docs/cli.md#no-such-heading"))
      .to eq("docs/cli.md has no heading #no-such-heading")
    expect(DocPages.broken("docs/README.md", "../../shared/DESIGN.md")).to eq("outside the repository")
    expect(DocPages.broken("docs/README.md", "cli.md#exit-status")).to be_nil
  end

  it "shows every command `photosync --help` lists in docs/cli.md, and no other there or in README.md" do
    exe = File.join(DocPages::ROOT, "exe/photosync")
    help, err, status = Open3.capture3(RbConfig.ruby, exe, "--help")
    expect(status).to be_success, err
    forms = DocPages.commands(help)
    expect(forms["verify"]).to include("flickr", "archive:PATH", "gphotos")
    expect(forms["emulator"]).to include(nil, "gphotos")

    usages = %w[docs/cli.md README.md].flat_map { |page| DocPages.usages(page).map { |u| [page, *u] } }
    wrong = usages.filter_map do |page, name, second, n|
      why = DocPages.unknown(forms, name, second)
      "#{page}:#{n}: photosync #{name} #{second}: #{why}" if why
    end
    expect(wrong).to eq([])
    # docs/cli.md shows every command there is.
    expect(DocPages.usages("docs/cli.md").map(&:first).uniq).to match_array(forms.keys)
    expect(DocPages.unknown(forms, "verify", "dropbox:folder")).to include("not listed")
    expect(DocPages.unknown(forms, "frobnicate", nil)).to eq("frobnicate is not a command")
  end
end
