// Command pulumi-resource-kubernetes is the Pulumi Kubernetes provider plugin,
// built from the github.com/pulumi/pulumi-kubernetes/provider/v4 module.
//
// The upstream main package (provider/cmd/pulumi-resource-kubernetes) embeds
// schema-embed.json and terraform-mapping-embed.json, which upstream generates
// with `go generate` and does not commit, so it cannot be built from the module
// zip. This main is the same program: the sync-hooks toolchain build
// (src/localcluster/toolchain.ts) copies schema.json (with "version" set) and a
// minified terraform-mapping.json from the module into this directory under the
// two embed names before `go build`. See ../../README.md.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
