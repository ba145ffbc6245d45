# frozen_string_literal: true

# A library folder and a catalog in the example's temporary folder, `canon` (a fixture
# JPEG's bytes) and `photo` to write a file of given bytes into the library.
RSpec.shared_context "a library in the temporary folder" do
  let(:canon) { File.binread(File.join(FIXTURES, "jpg/Canon_40D.jpg")) }
  let(:library) { File.join(tmpdir, "library") }
  let(:catalog) { File.join(tmpdir, "catalog.sqlite3") }

  def photo(name, bytes)
    path = File.join(library, name)
    FileUtils.mkdir_p(File.dirname(path))
    File.binwrite(path, bytes)
    path
  end
end
