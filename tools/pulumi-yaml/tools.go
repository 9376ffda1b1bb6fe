//go:build tools

// Package tools pins pulumi-language-yaml (Pulumi YAML programs), which sync-hooks builds from the
// Go module proxy next to the pulumi CLI when a test or user asks for it (toolchain part
// "yaml-language"). Its requirements match tools/pulumi where they overlap, so most packages come
// from the CLI build's cache.
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
