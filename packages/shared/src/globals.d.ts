// Base64 helpers present in every runtime this package targets (browsers and Node >= 16), declared here so the
// package needs neither DOM nor Node typings.
declare function btoa(data: string): string;
declare function atob(data: string): string;
