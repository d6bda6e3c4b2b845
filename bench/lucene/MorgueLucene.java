// MorgueLucene: the Lucene side of morgue-bench (bench/morgue_bench/lucene_bench.cc), built
// against Debian's liblucene8-java (Lucene 8.8.1). morgue-bench runs it as a child process:
//
//   index <articles.tsv> <indexdir> <ram-mb>      -> prints "<live docs> <seconds in the JVM>"
//   count <indexdir>                               -> prints "<live docs>"
//   query <indexdir> <plans.tsv> <min-passes> <min-warm-seconds> <rounds>
//        -> one line a query: index TAB median_us TAB totalhits TAB relation TAB exact_count
//
// The input formats are written by morgue-bench (bench/morgue_bench/lucene_files.h): articles
// one a line (id, published, filter terms, headline, body) and queries as morgue's analysed
// Plan in its canonical text form (query/plan.cc to_string). Errors go to stderr, exit 1.
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.tartarus.snowball.ext.EnglishStemmer;

public final class MorgueLucene {
  static final String TEXT = "text";          // headline + body, stems with positions
  static final String HEADLINE = "headline";  // headline again, for headline: queries
  static final String DATE = "date";          // publication date, epoch seconds
  static final String ID = "id";

  // morgue's filter prefixes (common/analysis/field_terms.h) and the Lucene fields they map to.
  static String filterField(char prefix) {
    switch (prefix) {
      case 'E': return "entity";
      case 'P': return "person";
      case 'O': return "org";
      case 'L': return "place";
      case 'T': return "topic";
      case 'U': return "source";
      case 'A': return "author";
      case 'Q': return ID;
      default: throw new IllegalArgumentException("not a filter prefix: " + prefix);
    }
  }

  // StandardTokenizer (UAX#29 words), lower case, accents folded (morgue folds them too, so
  // its query stems can match), Snowball English stems. Stems keep their positions, so one
  // field serves bare words and phrases.
  static final Analyzer ANALYZER = new Analyzer() {
    @Override
    protected TokenStreamComponents createComponents(String field) {
      Tokenizer source = new StandardTokenizer();
      TokenStream stream = new LowerCaseFilter(source);
      stream = new ASCIIFoldingFilter(stream);
      stream = new SnowballFilter(stream, new EnglishStemmer());
      return new TokenStreamComponents(source, stream);
    }

    // Headline and body are two values of the text field: a gap between them, as morgue
    // leaves one (kFieldPositionGap), so that no phrase matches across the two.
    @Override
    public int getPositionIncrementGap(String field) {
      return 10;
    }
  };

  public static void main(String[] args) {
    try {
      if (args.length == 4 && args[0].equals("index")) {
        index(args[1], args[2], Double.parseDouble(args[3]));
      } else if (args.length == 2 && args[0].equals("count")) {
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(Paths.get(args[1])))) {
          System.out.println(reader.numDocs());
        }
      } else if (args.length == 6 && args[0].equals("query")) {
        query(args[1], args[2], Integer.parseInt(args[3]), Double.parseDouble(args[4]),
              Integer.parseInt(args[5]));
      } else {
        throw new IllegalArgumentException("usage: index <input> <indexdir> <ram-mb> | count "
            + "<indexdir> | query <indexdir> <plans> <min-passes> <min-warm-seconds> <rounds>");
      }
    } catch (Exception e) {
      System.err.println("error: " + e);
      System.exit(1);
    }
  }

  // ---- Indexing --------------------------------------------------------------------------

  // One thread adds the documents; Lucene's default ConcurrentMergeScheduler may merge in the
  // background, as it would in any Lucene application. No forceMerge: morgue and Xapian are
  // not compacted in their timed builds either.
  static void index(String input, String dir, double ramMb) throws IOException {
    long start = System.nanoTime();
    IndexWriterConfig config = new IndexWriterConfig(ANALYZER);
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    config.setRAMBufferSizeMB(ramMb);  // morgue's --ram-mb, so both flush at the same budget
    config.setSimilarity(new BM25Similarity());
    // Plain per-extension files instead of compound files, so that morgue-bench can report
    // the index size by kind (postings, positions, terms...); the bytes are the same.
    config.setUseCompoundFile(false);
    TieredMergePolicy merges = new TieredMergePolicy();
    merges.setNoCFSRatio(0.0);
    config.setMergePolicy(merges);
    try (FSDirectory directory = FSDirectory.open(Paths.get(dir));
         IndexWriter writer = new IndexWriter(directory, config);
         BufferedReader in = Files.newBufferedReader(Paths.get(input), StandardCharsets.UTF_8)) {
      String line;
      long number = 0;
      while ((line = in.readLine()) != null) {
        ++number;
        String[] f = line.split("\t", -1);
        if (f.length != 5) throw new IOException(input + ":" + number + ": expected 5 fields");
        Document doc = new Document();
        doc.add(new StringField(ID, f[0], Field.Store.NO));
        doc.add(new LongPoint(DATE, Long.parseLong(f[1])));
        if (!f[2].isEmpty()) {
          for (String term : f[2].split("\u001f")) {
            if (term.length() < 2) continue;
            doc.add(new StringField(filterField(term.charAt(0)), term.substring(1), Field.Store.NO));
          }
        }
        doc.add(new TextField(TEXT, f[3], Field.Store.NO));
        doc.add(new TextField(TEXT, f[4], Field.Store.NO));
        doc.add(new TextField(HEADLINE, f[3], Field.Store.NO));
        // Replace by id, as morgue and Xapian do (morgue-bench has already dropped the
        // articles whose lower version would not replace the indexed one).
        writer.updateDocument(new Term(ID, f[0]), doc);
      }
      writer.commit();
      System.out.println(writer.getDocStats().numDocs + " " + (System.nanoTime() - start) / 1e9);
    }
  }

  // ---- Plans -> Lucene queries -----------------------------------------------------------

  // A translated plan: the query, and whether it scores (filters, dates and ALL do not).
  record Node(Query query, boolean scoring) {}

  // Reads the canonical plan text: atoms are terms; "(KEYWORD ...)" nests. morgue-bench has
  // checked that no term holds a space or a parenthesis.
  static final class PlanParser {
    final String text;
    int pos = 0;

    PlanParser(String text) {
      this.text = text;
    }

    Node parse() {
      Node n = node();
      skipSpaces();
      if (pos != text.length()) throw error("trailing text");
      return n;
    }

    IllegalArgumentException error(String why) {
      return new IllegalArgumentException("plan '" + text + "' at " + pos + ": " + why);
    }

    void skipSpaces() {
      while (pos < text.length() && text.charAt(pos) == ' ') ++pos;
    }

    String atom() {
      skipSpaces();
      int start = pos;
      while (pos < text.length() && " ()".indexOf(text.charAt(pos)) < 0) ++pos;
      if (pos == start) throw error("expected a term");
      return text.substring(start, pos);
    }

    boolean atClose() {
      skipSpaces();
      return pos < text.length() && text.charAt(pos) == ')';
    }

    Node node() {
      skipSpaces();
      if (pos >= text.length()) throw error("unexpected end");
      if (text.charAt(pos) != '(') return scoringTerm(atom());
      ++pos;
      String keyword = atom();
      Node n;
      switch (keyword) {
        case "FILTER": {
          String term = atom();
          n = new Node(new TermQuery(new Term(filterField(term.charAt(0)), term.substring(1))), false);
          break;
        }
        case "PHRASE": {
          List<String> words = new ArrayList<>();
          while (!atClose()) words.add(atom());
          n = phrase(words);
          break;
        }
        case "DATE": n = date(atom()); break;
        case "ALL": n = new Node(new MatchAllDocsQuery(), false); break;
        case "AND":
        case "OR":
        case "NOT": {
          List<Node> children = new ArrayList<>();
          while (!atClose()) children.add(node());
          n = combine(keyword, children);
          break;
        }
        default: throw error("unknown keyword " + keyword);
      }
      if (!atClose()) throw error("expected )");
      ++pos;
      return n;
    }
  }

  // A scoring term. Z/ZS are Snowball stems, the very terms Lucene's fields hold; bare and S
  // terms are folded surface words, which this index does not keep apart from their stems,
  // so they are analysed into stems like any query text.
  static Node scoringTerm(String term) {
    if (term.startsWith("ZS")) return new Node(new TermQuery(new Term(HEADLINE, term.substring(2))), true);
    if (term.startsWith("Z")) return new Node(new TermQuery(new Term(TEXT, term.substring(1))), true);
    return phrase(List.of(term));
  }

  // Surface words (all of the text field, or all S-prefixed for the headline) at consecutive
  // positions: a PhraseQuery over their stems, or a TermQuery for a single stem.
  static Node phrase(List<String> words) {
    boolean headline = words.get(0).startsWith("S");
    String field = headline ? HEADLINE : TEXT;
    List<String> stems = new ArrayList<>();
    for (String w : words) stems.addAll(analyze(field, headline ? w.substring(1) : w));
    if (stems.isEmpty()) return new Node(new MatchNoDocsQuery(), true);
    if (stems.size() == 1) return new Node(new TermQuery(new Term(field, stems.get(0))), true);
    PhraseQuery.Builder b = new PhraseQuery.Builder();
    for (int i = 0; i < stems.size(); ++i) b.add(new Term(field, stems.get(i)), i);
    return new Node(b.build(), true);
  }

  static List<String> analyze(String field, String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = ANALYZER.tokenStream(field, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) out.add(term.toString());
      ts.end();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  // "from..to", each side ISO 8601 (2024-03-01T00:00:00Z) or empty for an open end.
  static Node date(String range) {
    int dots = range.indexOf("..");
    if (dots < 0) throw new IllegalArgumentException("bad date range " + range);
    String from = range.substring(0, dots), to = range.substring(dots + 2);
    if (from.isEmpty() && to.isEmpty()) return new Node(new MatchAllDocsQuery(), false);
    long lo = from.isEmpty() ? Long.MIN_VALUE : Instant.parse(from).getEpochSecond();
    long hi = to.isEmpty() ? Long.MAX_VALUE : Instant.parse(to).getEpochSecond();
    return new Node(LongPoint.newRangeQuery(DATE, lo, hi), false);
  }

  // A non-scoring query that contributes 0 to the score: a lone FILTER clause.
  static Query scoreless(Query q) {
    return new BooleanQuery.Builder().add(q, Occur.FILTER).build();
  }

  static Node combine(String keyword, List<Node> children) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    boolean scoring = false;
    switch (keyword) {
      case "AND":
        for (Node c : children) {
          b.add(c.query(), c.scoring() ? Occur.MUST : Occur.FILTER);
          scoring |= c.scoring();
        }
        break;
      case "OR":
        for (Node c : children) {
          b.add(c.scoring() ? c.query() : scoreless(c.query()), Occur.SHOULD);
          scoring |= c.scoring();
        }
        break;
      default:  // NOT a b: a and not b
        if (children.size() != 2) throw new IllegalArgumentException("NOT takes two operands");
        Node a = children.get(0);
        b.add(a.query(), a.scoring() ? Occur.MUST : Occur.FILTER);
        b.add(children.get(1).query(), Occur.MUST_NOT);
        scoring = a.scoring();
    }
    return new Node(b.build(), scoring);
  }

  static Query toQuery(String plan) {
    Node n = new PlanParser(plan).parse();
    // Filter-only queries score nothing in morgue; a point range or MatchAll would score 1.
    return n.scoring() ? n.query() : scoreless(n.query());
  }

  // ---- Query timing ----------------------------------------------------------------------

  static void query(String dir, String plansFile, int minPasses, double minWarmSeconds, int rounds)
      throws IOException {
    List<Query> queries = new ArrayList<>();
    for (String line : Files.readAllLines(Paths.get(plansFile), StandardCharsets.UTF_8)) {
      int tab = line.indexOf('\t');
      if (tab < 0) continue;
      queries.add(toQuery(line.substring(tab + 1)));
    }
    try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(Paths.get(dir)))) {
      IndexSearcher searcher = new IndexSearcher(reader);  // no executor: one thread
      searcher.setSimilarity(new BM25Similarity());
      // The bench repeats every query; with the query cache on, repeated filters (date ranges)
      // would be answered from cached bitsets. morgue and Xapian cache nothing between queries.
      searcher.setQueryCache(null);

      long[] exact = new long[queries.size()];
      for (int i = 0; i < queries.size(); ++i) exact[i] = searcher.count(queries.get(i));

      // Warm-up: the JIT compiles the hot paths and the OS caches the files.
      long sink = 0;
      long warmStart = System.nanoTime();
      for (int pass = 0; pass < minPasses || (System.nanoTime() - warmStart) / 1e9 < minWarmSeconds;
           ++pass) {
        for (Query q : queries) sink += searcher.search(q, 10).scoreDocs.length;
      }

      // Timed rounds: search(q, 10) is Lucene's TopScoreDocCollector with its default total
      // hits threshold (1,000), above which block-max WAND may skip non-competitive documents.
      long[][] nanos = new long[queries.size()][rounds];
      TopDocs[] last = new TopDocs[queries.size()];
      for (int r = 0; r < rounds; ++r) {
        for (int i = 0; i < queries.size(); ++i) {
          long t0 = System.nanoTime();
          TopDocs top = searcher.search(queries.get(i), 10);
          nanos[i][r] = System.nanoTime() - t0;
          last[i] = top;
          sink += top.scoreDocs.length;
        }
      }
      PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
      for (int i = 0; i < queries.size(); ++i) {
        long[] t = nanos[i].clone();
        Arrays.sort(t);
        // The same median as morgue-bench's: element ceil(n/2) of the sorted rounds.
        double medianUs = rounds > 0 ? t[(rounds + 1) / 2 - 1] / 1e3 : 0;
        long hits = last[i] == null ? 0 : last[i].totalHits.value;
        String relation = last[i] == null ? "EQUAL_TO" : last[i].totalHits.relation.toString();
        out.println(i + "\t" + String.format(Locale.ROOT, "%.3f", medianUs) + "\t" + hits + "\t" + relation
                    + "\t" + exact[i]);
      }
      out.flush();
      System.err.println("results seen: " + sink);  // keeps the searches observable to the JIT
    }
  }
}
