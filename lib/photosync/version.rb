# frozen_string_literal: true

module Photosync
  VERSION = "0.1.0"
end
