// Argo CD sync hooks (PreSync, Sync, PostSync, SyncFail, PreDelete, PostDelete) for Pulumi: SyncedChart applies Kubernetes manifests in waves and runs their hook Jobs in order.
package synchooks
