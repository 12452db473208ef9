import XCTest
@testable import Operations
final class OperationsPlaceholderTests: XCTestCase { func testNothing() {} }
