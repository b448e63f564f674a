// Loaded by mocha before the tests (.mocharc.json). The AWS SDK's notice that its releases after
// January 2027 need Node.js 22 is known (see the closing notes); keep it out of test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
