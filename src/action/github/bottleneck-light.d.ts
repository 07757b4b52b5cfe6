// Bottleneck's build without Redis clustering, the one Octokit's plugins load, has no types of
// its own; it exports the same class as the full build.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck'
  export default Bottleneck
}
