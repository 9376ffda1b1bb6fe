//go:build tools

// Package tools pins pulumi-language-yaml (Pulumi YAML programs), which sync-hooks builds from the
// Go module proxy next to the pulumi CLI when a test or user asks for it (toolchain part
// "yaml-language"). It keeps pulumi-yaml's own pulumi pkg/sdk (v3.206.0): v1.25.0 does not compile
// against the CLI's v3.259.0 (plugin.NewContextWithRoot and schema.NewPluginLoader changed), so this
// build shares little with the CLI build and costs about as much.
package tools

import (
	_ "github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml"
)
