import ArgumentParser
import Foundation
import Operations
import S3

/// `pail inventory show`: the reports an inventory configuration has, and the fields of one.
struct InventoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory",
        abstract: "S3 Inventory reports: which there are, and what they hold.",
        subcommands: [InventoryShowCommand.self],
        defaultSubcommand: InventoryShowCommand.self)
}
