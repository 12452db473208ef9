import Browser
import Foundation
import Operations
import S3

/// `P` (the profiles and a switch without quitting) and `m` (saving a bookmark): both read or
/// write files and may fetch credentials (STS, SSO, a credential_process), so on a worker.
extension BrowserSession {
    /// `profiles` as `P` last read it (a worker may replace the catalog meanwhile).
    var switcher: ProfileSwitcher? { connectionLock.withLock { profiles } }

    func performProfileEffect(_ effect: BrowserEffect) {
        switch effect {
        case .listProfiles(let id):
            heads.submit { [self] in
                guard let profiles = switcher else {
                    return queue.post(.profilesListed(id: id, .failure(BrowserError(
                        "profiles cannot be switched here"))))
                }
                // The files read again: a profile added since pail started is listed (and can be chosen).
                let c = profiles.catalog
                do {
                    let fresh = try ProfileCatalog(environment: c.environment, pailConfig: c.pailConfig,
                                                   options: c.options, requestTimeout: c.requestTimeout,
                                                   readOnlyRegardless: c.readOnlyRegardless)
                    connectionLock.withLock { self.profiles?.catalog = fresh }
                    queue.post(.profilesListed(id: id, .success(ProfileList(entries: fresh.entries,
                                                                            current: client.config.profile))))
                } catch {
                    queue.post(.profilesListed(id: id, .failure(BrowserError(describe(error)))))
                }
            }
        case .switchProfile(let id, let name):
            listings.submit { [self] in
                queue.post(.profileSwitched(id: id, name: name, switchProfile(to: name)))
            }
        case .saveBookmark(let id, let name, let uri):
            heads.submit { [self] in
                do {
                    guard let store = switcher?.bookmarks else { throw S3Error.local("no configuration file") }
                    try store.save(try Bookmark(name: name, uri: uri))
                    queue.post(.bookmarkSaved(id: id, name: name, uri: uri, error: nil))
                } catch {
                    queue.post(.bookmarkSaved(id: id, name: name, uri: uri, error: BrowserError(describe(error))))
                }
            }
        default: break
        }
    }

    /// Builds the client of `name` and puts it in place of the current one. Nothing changes
    /// when that fails (no credentials, an expired SSO token, a profile gone from the file):
    /// the old client stays, and the answer says why in one line. Running transfers refuse
    /// the switch (the browser refuses `P` first; this is for one that started meanwhile).
    /// The old client's listings and measures are cancelled; whatever else it runs finishes
    /// on it, and its answers no longer match a request of the new tree.
    func switchProfile(to name: String) -> Result<ProfileSwitch, BrowserError> {
        guard let profiles = switcher else { return .failure(BrowserError("profiles cannot be switched here")) }
        let old = connectionLock.withLock { connection }
        guard old.operations.waitForTransfersToStop(timeout: 0) else {
            return .failure(BrowserError("transfers are running; wait for them, or cancel them in t"))
        }
        let configuration: ClientConfiguration
        do {
            configuration = try profiles.catalog.configuration(for: name)
        } catch {
            return .failure(BrowserError(describe(error)))
        }
        let client = profiles.makeClient(configuration)
        client.warn = old.client.warn
        client.log = old.client.log
        if configuration.credentials?.expiration != nil {
            client.refreshCredentials = profiles.catalog.refresh(for: name)
        }
        let runner = OperationRunner(client: client, queue: queue, config: config, environment: environment)
        connectionLock.withLock { connection = (client, runner) }
        images.use(client)  // pictures come from the profile now in use too
        old.operations.cancelAll()
        let flags = lock.withLock {
            let all = Array(listingFlags.values) + Array(measureFlags.values)
            listingFlags.removeAll()
            measureFlags.removeAll()
            return all
        }
        flags.forEach { $0.cancel() }
        return .success(ProfileSwitch(readOnly: configuration.readOnly.everywhere,
                                      readOnlyBuckets: configuration.readOnly.buckets))
    }
}
