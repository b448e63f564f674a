// Mocha's spec reporter, followed by the totals on a line of their own, as CI reads them:
// "N passed, N failed, N skipped". When TEST_TOTALS_FILE is set, the same line is written there.
"use strict";
const fs = require("fs");
const Mocha = require("mocha");

const { EVENT_RUN_END } = Mocha.Runner.constants;

class TotalsReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      const line = `${passes} passed, ${failures} failed, ${pending} skipped`;
      console.log(line);
      if (process.env.TEST_TOTALS_FILE) fs.writeFileSync(process.env.TEST_TOTALS_FILE, `${line}\n`);
    });
  }
}

module.exports = TotalsReporter;
