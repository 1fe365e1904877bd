// Nothing to do yet: the check is the post step, which runs after token-lease's post step.
console.log(`confirm-revoked: will ask ${process.env['INPUT_SERVER']} after the lease's post step whether its tokens were revoked.`)
