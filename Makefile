# The README's commands. `make demo` and `make test` each install what is missing (Debian 12,
# as root), configure, build and run. Everything else here is a convenience around CMake.
SHELL := /bin/bash
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
CTEST_FLAGS ?= --output-on-failure --timeout 600 -j $(JOBS)

# Packages the product, its tests and its benchmarks need (Debian 12 names).
DEPS := cmake make g++ pkg-config libboost-dev libboost-system-dev nlohmann-json3-dev \
        libcurl4-openssl-dev libspdlog-dev libfmt-dev libsqlite3-dev libyaml-cpp-dev \
        libssl-dev libsystemd-dev libncurses-dev libreadline-dev libraft-dev libuv1-dev \
        libmsgpack-cxx-dev libgtest-dev libgmock-dev libbenchmark-dev sqlite3 curl tmux wrk \
        procps iproute2 iptables docker.io busybox-static serf
# Extra packages for `make bench`: the anchors (nginx, serf) and the load tools.
BENCH_DEPS := hyperfine nginx-light serf wrk jq iptables etcd-server

.PHONY: all deps build test demo bench test-asan test-tsan fuzz install format clean

all: build

deps:
	@missing=""; for p in $(DEPS) $(EXTRA_DEPS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing packages:$$missing; run as root: apt-get install$$missing" >&2; exit 1; fi; \
	  echo "installing:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

$(BUILD)/Makefile: CMakeLists.txt | deps
	cmake -S . -B $(BUILD) -DBUILD_TESTS=ON $(CMAKE_FLAGS)

build: deps $(BUILD)/Makefile
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest $(CTEST_FLAGS)

demo: build
	$(BUILD)/constellation demo

# RelWithDebInfo (-O2), the build the product ships with; g++ 12 at -O3 raises false
# -Werror warnings (maybe-uninitialized, stringop-overread) in the standard library.
bench:
	$(MAKE) deps EXTRA_DEPS="$(BENCH_DEPS)"
	cmake -S . -B build-bench -DBUILD_TESTS=OFF -DBUILD_BENCH=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build build-bench -j $(JOBS)
	bash bench/run.sh build-bench

test-asan:
	$(MAKE) test BUILD=build-asan CMAKE_FLAGS="-DSANITIZE=address,undefined -DCMAKE_BUILD_TYPE=Debug"

test-tsan:
	$(MAKE) test BUILD=build-tsan CMAKE_FLAGS="-DSANITIZE=thread -DCMAKE_BUILD_TYPE=Debug"

fuzz: deps
	dpkg-query -W clang-16 >/dev/null 2>&1 || apt-get install -y -qq clang-16 libclang-rt-16-dev
	CC=clang-16 CXX=clang++-16 cmake -S . -B build-fuzz -DBUILD_FUZZ=ON -DBUILD_TESTS=OFF
	cmake --build build-fuzz -j $(JOBS)

install: build
	cmake --install $(BUILD)
	install -D -m 0644 agent/constellation.service /etc/systemd/system/constellation.service

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build build-asan build-tsan build-bench build-fuzz
