# frozen_string_literal: true

module Photosync
  # What the Flickr and the Google Photos emulators share on the Ruby side: a native
  # server object behind them, started with a block that stops it, and the same knobs
  # for latency and seeded faults.
  module EmulatorControl
    def self.included(base)
      base.extend(ClassMethods)
    end

    # The emulator classes' start and wrap.
    module ClassMethods
      # Wraps a started native emulator; with a block, yields it and stops it after.
      def wrap(native, faults)
        emu = new(native)
        emu.fault_kinds = faults if faults
        return emu unless block_given?

        begin
          yield emu
        ensure
          emu.stop
        end
      end

      # Methods answered by the native emulator as they are.
      def forward(*names)
        names.each { |name| define_method(name) { @native.public_send(name) } }
      end
    end

    def initialize(native)
      @native = native
    end

    def latency=(seconds)
      @native.latency = Float(seconds)
    end

    def fault_rate=(rate)
      @native.fault_rate = Float(rate)
    end

    # Which faults fault_rate draws from: names from FAULT_KINDS (all by default).
    def fault_kinds=(kinds)
      @native.fault_kinds = Array(kinds).map(&:to_s)
    end

    def inspect
      "#<#{self.class.name} #{running? ? endpoint : 'stopped'}>"
    end
  end
end
