/** A control request that is well formed but cannot be done in the server's present state: 409. */
export class ControlConflict extends Error {
  readonly error: string
  constructor(error: string, message: string) {
    super(message)
    this.name = 'ControlConflict'
    this.error = error
  }

  toJSON() {
    return { error: this.error, error_description: this.message }
  }
}
