# frozen_string_literal: true

namespace :cargo do
  desc "Run the Rust core's tests"
  task :test do
    sh "cargo test --release --quiet"
  end

  desc "Lint the Rust workspace with clippy, warnings as errors"
  task :clippy do
    sh "cargo clippy --release --workspace --all-targets --quiet -- -D warnings"
  end

  desc "Check Rust formatting"
  task :fmt do
    sh "cargo fmt --all -- --check"
  end
end
