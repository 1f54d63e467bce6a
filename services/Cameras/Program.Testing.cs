// Lets tests refer to this service's entry point.
public partial class Program;
