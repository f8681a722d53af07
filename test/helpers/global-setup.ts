// Nothing to prepare for Node tests; browser tests build and serve the app in their own setup.
export default function setup(): void {}
